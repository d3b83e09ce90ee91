from django.db import migrations

TEXT = """一、收集目的：为开展科普人才、专家和科技志愿者的登记、认证、组织与服务对接，本平台收集您的姓名、证件号码、手机号码、电子邮箱、所在地区、工作单位、学历、职称、学科和专长等信息。
二、处理方式：证件号码和手机号码加密存储，在列表、页面、接口和导出中均作去标识化显示；查看完整信息须经单独授权并记录理由，每次查看均留存审计记录。
三、共享范围：您的信息仅由您所在地区及上级科协、科技管理部门在履行法定职责范围内使用，不向第三方提供，不在境外存储。
四、保存期限：在您登记有效期内保存；您申请注销后，个人信息将被删除，仅保留不可识别个人的统计数据。
五、您的权利：您可以查询、更正、复制您的个人信息，撤回同意或申请删除，请联系所在地区科协。"""


def create(apps, schema_editor):
    PrivacyNotice = apps.get_model("core", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version="2025-1",
        defaults={"title": "科普人才与志愿者个人信息处理告知书", "text": TEXT},
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_privacy_notice_pi_officer")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
