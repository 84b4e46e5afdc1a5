import { registry } from "@web/core/registry";

/**
 * A day of each role, in a real browser (tests/test_ui.py, TestRoleTours): the
 * worker's request and consultation, the head's approval from the dashboard, the
 * assistant's visit logged on a phone. Each starts at the role's home (where the
 * user lands after logging in) and has the test save a screenshot of it into
 * docs/screenshots/ (the step logs "fa-screenshot:<name>").
 */

function screenshot(name) {
    return {
        content: `Screenshot: ${name}`,
        trigger: "body",
        run: async () => {
            console.log(`fa-screenshot:${name}`);
            // the page stays as it is while the test browser takes the picture
            await new Promise((resolve) => setTimeout(resolve, 1500));
        },
    };
}

// The social worker asks for an assistant for a family after the community
// interview, then consults the work plan an assistant sent them.
registry.category("web_tour.tours").add("family_assistant_worker_tour", {
    url: "/odoo",
    steps: () => {
        const today = luxon.DateTime.now().toFormat("dd.MM.yyyy");
        return [
            {
                content: "The worker lands on their families and requests",
                trigger: ".o_breadcrumb:contains('Moje rodziny i wnioski')",
            },
            {
                trigger: ".o_list_view .o_data_row",
            },
            screenshot("worker_home"),
            {
                content: "A new request",
                trigger: ".o_list_button_add",
                run: "click",
            },
            {
                content: "The family",
                trigger: ".o_field_widget[name='family_id'] input",
                run: "edit Tourowie",
            },
            {
                trigger: ".o-autocomplete--dropdown-item a:contains('Tourowie')",
                run: "click",
            },
            {
                content: "The grounds of point 1",
                trigger: ".o_field_widget[name='grounds'] select",
                run: `select "care_difficulties"`,
            },
            {
                content: "The date of the community interview",
                trigger: ".o_field_widget[name='interview_date'] input",
                run: `edit ${today}`,
            },
            {
                trigger: ".o_field_widget[name='justification'] textarea",
                run: "edit Trudności opiekuńczo-wychowawcze, zaległości w opłatach.",
            },
            {
                content: "Submit to the head",
                trigger: ".o_statusbar_buttons button[name='action_submit']",
                run: "click",
            },
            {
                content: "It asks first",
                trigger: ".modal-footer .btn-primary",
                run: "click",
            },
            {
                content: "The request waits for the head",
                trigger: ".o_statusbar_status button[data-value='submitted'].o_arrow_button_current",
            },
            {
                content: "The plan to consult is on the worker's to-do list",
                trigger: ".o_menu_systray .o-mail-ActivityMenu-counter",
                run: "click",
            },
            {
                trigger: ".o-mail-ActivityGroup:contains('Plan pracy')",
                run: "click",
            },
            {
                trigger: ".o_data_row td[name='family_id']:contains('Zielińscy')",
                run: "click",
            },
            {
                content: "Confirm the consultation",
                trigger: ".o_statusbar_buttons button[name='action_confirm_consultation']",
                run: "click",
            },
            {
                content: "The plan is consulted",
                trigger: ".o_field_widget[name='worker_consulted_date']:contains('.')",
            },
        ];
    },
});

// The head opens the requests waiting for a decision from the dashboard and
// approves one, choosing an assistant from the list that shows each caseload.
registry.category("web_tour.tours").add("family_assistant_head_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The head lands on the dashboard",
            trigger: ".o_assist_dashboard .o_assist_stage[data-stage='submitted']",
        },
        screenshot("head_home"),
        {
            content: "The requests waiting for a decision",
            trigger: ".o_assist_stage[data-stage='submitted']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td[name='family_id']:contains('Nowakowie')",
            run: "click",
        },
        {
            content: "Approve",
            trigger: ".o_form_view button[name='action_open_approve_wizard']",
            run: "click",
        },
        {
            content: "Look for the assistant",
            trigger: ".modal .o_field_widget[name='assistant_id'] input",
            run: "edit Piotr",
        },
        {
            content: "The list shows the assistant's caseload",
            trigger: ".o-autocomplete--dropdown-item a:contains('Piotr Asystent (')",
            run: "click",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: ".o_statusbar_status button[data-value='approved'].o_arrow_button_current",
        },
    ],
});

// On a phone (390×844, touch): from the assistant's home, a visit in the family's
// home logged and saved in three steps.
registry.category("web_tour.tours").add("family_assistant_assistant_mobile_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The assistant lands on their families, the visits due first",
            trigger: ".o_kanban_view .o_kanban_record:contains('Kowalscy')",
        },
        screenshot("assistant_home_phone"),
        {
            content: "1. New visit, on the family's card",
            trigger: ".o_kanban_record:contains('Kowalscy') button[name='action_new_record']",
            run: "click",
        },
        {
            content: "The case, the date and the place are filled in",
            trigger: ".o_field_widget[name='assignment_id'] input",
            run() {
                const place = document.querySelector(".o_field_widget[name='place'] select");
                if (!this.anchor.value.includes("Kowalscy") || !place.value.includes("home")) {
                    throw new Error("The visit is not filled in from the case");
                }
            },
        },
        {
            content: "2. What was done",
            trigger: ".o_field_widget[name='actions_taken'] textarea",
            run: "edit Rozmowa z matką o frekwencji dzieci; plan tygodnia.",
        },
        {
            content: "3. Save the visit",
            trigger: ".o_form_view .o_form_sheet button:contains('Zapisz wizytę')",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
