{
    "name": "Asystent rodziny",
    "summary": "Family-assistant procedure of a Polish social-welfare centre (OPS): "
    "requests, approval and assignment of a family assistant",
    "version": "18.0.1.0.0",
    "category": "Services/Family Assistant",
    "license": "LGPL-3",
    "author": "Family Assistant developers",
    "website": "https://github.com/family-assistant/family_assistant",
    "depends": ["mail"],
    "data": [
        "security/family_assistant_groups.xml",
        "security/ir.model.access.csv",
        "security/family_assistant_rules.xml",
        "data/ir_sequence_data.xml",
        "views/assist_family_views.xml",
        "views/assist_family_member_views.xml",
        "views/assist_assignment_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/assist_assignment_approve_views.xml",
        "wizards/assist_assignment_reject_views.xml",
        "views/family_assistant_menus.xml",
    ],
    "demo": [
        "demo/family_assistant_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "family_assistant/static/src/js/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
