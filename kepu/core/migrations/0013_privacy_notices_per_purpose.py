"""The first notices of the activity sign-up and the volunteer service order, and the
English text of the registration notice (version 2025-1, whose Chinese text is unchanged).

A later version is published by adding a row (`manage.py publish_privacy_notice`), never by
editing one: consents point at the version the person accepted."""

import datetime

from django.db import migrations

EFFECTIVE = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

REGISTRATION_EN = (
    "Notice on the processing of personal information: science talents and volunteers",
    """1. Purpose: to register, certify and organise science-popularisation talents, experts and science and technology volunteers and to match them with services, the platform collects your name, document number, mobile number, email, region, work unit, education, professional title, subject and specialties.
2. How it is handled: document and mobile numbers are stored encrypted and shown masked in lists, pages, the API and exports; seeing a full value requires a separate authorisation and a stated reason, and every view is recorded in the audit trail.
3. Who sees it: only the science and technology associations and science authorities of your region and the levels above it, within their statutory duties. It is not given to third parties and not stored outside China.
4. How long it is kept: while your registration is valid; when you ask to leave, your personal information is deleted and only statistics that identify no one are kept.
5. Your rights: you may consult, correct and copy your personal information, withdraw your consent or ask for it to be deleted: contact the science and technology association of your region.""",
)

SIGNUP = (
    "科普活动报名个人信息处理告知书",
    """一、收集的信息：您的姓名、手机号码和您所属的人群类别（如青少年、农民、老年人等）。报名不收集身份证件号码。
二、处理目的：确认报名名额，生成入场电子票（二维码），在活动变更或取消时与您联系，现场签到核验，以及按人群类别统计科普活动的受众情况。人群类别仅用于汇总统计，不用于识别您个人。
三、处理方式：手机号码加密存储，主办单位和工作人员只能看到去标识化的号码（如138****1234）；查看完整号码须经单独授权并说明理由，每次查看均留存审计记录。
四、查看范围：仅该活动的主办单位和活动所在地区及上级科协的工作人员，在组织本次活动所必需的范围内查看；不向其他第三方提供，不在境外存储。
五、保存期限：自活动结束之日起保存一年，期满后删除或作匿名化处理；法律、行政法规另有规定的，从其规定。
六、您的权利：依据《中华人民共和国个人信息保护法》，您有权查阅、复制、更正、补充您的个人信息，有权撤回同意、要求删除，并有权要求对个人信息处理规则作出解释说明。撤回同意不影响撤回前基于同意已进行的处理。您可以通过电子票页面的专属链接随时取消报名；其他请求请联系活动主办单位或所在地区科协，我们将依法及时处理。
七、未成年人：未满十四周岁的未成年人报名，应由其父母或其他监护人代为填写并同意本告知书。""",
    "Notice on the processing of personal information: activity sign-up",
    """1. What is collected: your name, your mobile number and the group you belong to (young people, farmers, older people and so on). No document number is asked for a sign-up.
2. Why: to confirm your place, issue your electronic ticket (QR code), contact you if the activity changes or is cancelled, check you in on the day, and count the audience of science activities by group. The group is used only in totals, never to identify you.
3. How it is handled: your mobile number is stored encrypted; the organiser and the officers see it only masked (e.g. 138****1234). Seeing the full number requires a separate authorisation and a stated reason, and every view is recorded in the audit trail.
4. Who sees it: only the organiser of the activity and the officers of the science and technology associations of the activity's region and the levels above it, as far as organising this activity requires. It is not given to any other third party and not stored outside China.
5. How long it is kept: one year from the end of the activity; then it is deleted or anonymised, unless a law or administrative regulation requires otherwise.
6. Your rights: under the Personal Information Protection Law of the People's Republic of China you may consult, copy, correct and complete your personal information, withdraw your consent, ask for its deletion and ask for the processing rules to be explained. Withdrawing consent does not affect processing done before. You can cancel your sign-up at any time through the private link on your ticket; for anything else contact the organiser or the science and technology association of your region, who will handle it as the law requires.
7. Children: a child under fourteen is signed up by a parent or other guardian, who reads and accepts this notice.""",
)

ORDER = (
    "科技志愿服务点单个人信息处理告知书",
    """一、收集的信息：联系人姓名、手机号码、服务地点（所在地区和详细地址）、您自愿提供的位置、服务对象类别、期望服务时间和需求说明。下单不收集身份证件号码。
二、处理目的：受理和派发您的服务需求。社区、乡镇（街道）或县级科协派单，服务队伍接单，志愿者与您联系并按约定时间提供服务，服务结束后请您评价。服务对象类别和地区仅用于汇总统计志愿服务情况。
三、处理方式：手机号码加密存储，工作人员和志愿者只能看到去标识化的号码；查看完整号码须经单独授权并说明理由，每次查看均留存审计记录。位置仅在您点击“使用我的位置”后附上，不提供也可以下单。
四、查看范围：派单的社区、乡镇（街道）及县级以上科协工作人员，接单服务队伍的负责人和被指派的志愿者，仅在完成本次服务所必需的范围内查看；不向其他第三方提供，不在境外存储。
五、保存期限：自服务完成或订单关闭之日起保存三年，用于志愿服务时长认定和服务质量追溯，期满后删除或作匿名化处理；法律、行政法规另有规定的，从其规定。
六、您的权利：依据《中华人民共和国个人信息保护法》，您有权查阅、复制、更正、补充您的个人信息，有权撤回同意、要求删除，并有权要求对个人信息处理规则作出解释说明。撤回同意不影响撤回前基于同意已进行的处理。您可以通过下单后获得的专属链接查看、取消订单；其他请求请联系所在地区科协，我们将依法及时处理。""",
    "Notice on the processing of personal information: volunteer service order",
    """1. What is collected: the contact's name and mobile number, the place of service (region and address), your location if you choose to give it, who the service is for, the preferred time and what is needed. No document number is asked for an order.
2. Why: to receive and dispatch your request. The community, township (sub-district) or county science and technology association dispatches the order, a service team takes it, volunteers contact you and serve at the agreed time, and afterwards you are asked to rate the service. Who the service is for and the region are used only in totals of the volunteer service statistics.
3. How it is handled: your mobile number is stored encrypted; officers and volunteers see it only masked. Seeing the full number requires a separate authorisation and a stated reason, and every view is recorded in the audit trail. Your location is attached only if you press "Use my location"; you can order without it.
4. Who sees it: the officers of the community, township (sub-district) and the science and technology associations from the county up who dispatch the order, the leader of the team that takes it and the volunteers assigned to it, as far as this service requires. It is not given to any other third party and not stored outside China.
5. How long it is kept: three years from the service or the closing of the order, to certify the volunteers' hours and trace the quality of the service; then it is deleted or anonymised, unless a law or administrative regulation requires otherwise.
6. Your rights: under the Personal Information Protection Law of the People's Republic of China you may consult, copy, correct and complete your personal information, withdraw your consent, ask for its deletion and ask for the processing rules to be explained. Withdrawing consent does not affect processing done before. You can follow and cancel your order through the private link you get after sending it; for anything else contact the science and technology association of your region, who will handle it as the law requires.""",
)


def create(apps, schema_editor):
    PrivacyNotice = apps.get_model("core", "PrivacyNotice")
    PrivacyNotice.objects.filter(purpose="registration", version="2025-1", title_en="").update(
        title_en=REGISTRATION_EN[0], text_en=REGISTRATION_EN[1]
    )
    # 0004 dated version 2025-1 by the moment the migration ran; date it like the others,
    # so that replays at past moments (demo loaders under clock.frozen) find a notice.
    PrivacyNotice.objects.filter(
        purpose="registration", version="2025-1", effective_at__gt=EFFECTIVE
    ).update(effective_at=EFFECTIVE)
    for purpose, (title, text, title_en, text_en) in (("signup", SIGNUP), ("order", ORDER)):
        PrivacyNotice.objects.get_or_create(
            purpose=purpose,
            version="2025-1",
            defaults={
                "title": title,
                "text": text,
                "title_en": title_en,
                "text_en": text_en,
                "effective_at": EFFECTIVE,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0012_privacy_notice_purposes")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
