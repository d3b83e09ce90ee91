from django.urls import path

from kepu.core.views import (
    auth,
    dashboard,
    imports,
    jobs,
    organizations,
    privacy,
    system,
    workbench,
)

app_name = "core"

urlpatterns = [
    path("workbench/", workbench.workbench_view, name="home"),
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("prefs/region/", dashboard.focus_region_view, name="focus_region"),
    path("prefs/accessibility/", dashboard.accessibility_view, name="accessibility"),
    path("privacy/<str:purpose>/", privacy.privacy_notice, name="privacy_notice"),
    path("maps/<str:code>.json", dashboard.map_geojson_view, name="map_geojson"),
    # Accounts
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/login/otp/", auth.login_otp_view, name="login_otp"),
    path("accounts/login/enroll/", auth.login_enroll_view, name="login_enroll"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/password/", auth.password_change_view, name="password_change"),
    path("accounts/security/", auth.security_view, name="security"),
    path("accounts/tokens/", auth.apitoken_list, name="apitoken_list"),
    path("accounts/tokens/<int:pk>/revoke/", auth.apitoken_revoke, name="apitoken_revoke"),
    path("accounts/session/", auth.session_status_view, name="session_status"),
    # Organizations
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path(
        "organizations/export.xlsx", organizations.organization_export, name="organization_export"
    ),
    path("organizations/<int:pk>/", organizations.organization_detail, name="organization_detail"),
    path(
        "organizations/<int:pk>/edit/",
        organizations.organization_update,
        name="organization_update",
    ),
    # Excel imports (any registered spec)
    path("imports/<str:spec_key>/new/", imports.import_start, name="import_start"),
    path("imports/<str:spec_key>/template.xlsx", imports.import_template, name="import_template"),
    path("imports/jobs/<uuid:pk>/", imports.import_job, name="import_job"),
    path("imports/jobs/<uuid:pk>/errors.xlsx", imports.import_job_errors, name="import_job_errors"),
    path("imports/jobs/<uuid:pk>/confirm/", imports.import_job_confirm, name="import_job_confirm"),
    # Background jobs
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/status.json", jobs.job_status, name="job_status"),
    path("jobs/<uuid:pk>/file/", jobs.job_file, name="job_file"),
    path("system/schedules/", jobs.schedule_list, name="schedule_list"),
    path("system/schedules/<str:name>/run/", jobs.schedule_run, name="schedule_run"),
    # Administration (三员分立)
    path("system/users/", system.user_list, name="user_list"),
    path("system/users/new/", system.user_create, name="user_create"),
    path("system/users/<int:pk>/", system.user_detail, name="user_detail"),
    path("system/users/<int:pk>/edit/", system.user_update, name="user_update"),
    path("system/users/<int:pk>/roles/", system.role_assign, name="role_assign"),
    path("system/users/<int:pk>/unlock/", system.user_unlock, name="user_unlock"),
    path("system/users/<int:pk>/password/", system.user_reset_password, name="user_reset_password"),
    path("system/users/<int:pk>/totp/reset/", system.user_reset_totp, name="user_reset_totp"),
    path("system/roles/<int:pk>/revoke/", system.role_revoke, name="role_revoke"),
    path("audit/", system.audit_list, name="audit_list"),
    path("audit/export.xlsx", system.audit_export, name="audit_export"),
    path("audit/verify/", system.audit_verify, name="audit_verify"),
    path("audit/<int:pk>/", system.audit_detail, name="audit_detail"),
]
