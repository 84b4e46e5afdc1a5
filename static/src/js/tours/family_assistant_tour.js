import { registry } from "@web/core/registry";

// The head opens a request waiting for a decision and approves it through the
// wizard, choosing an assistant from the list that shows each one's caseload.
registry.category("web_tour.tours").add("family_assistant_approve_tour", {
    url: "/odoo/action-family_assistant.assist_assignment_action_waiting",
    steps: () => [
        {
            content: "Open the request of the family Tourowie",
            trigger: ".o_list_view .o_data_row td[name='family_id']:contains('Tourowie')",
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
            run: "edit Zofia",
        },
        {
            content: "The list shows the assistant's caseload",
            trigger: ".o-autocomplete--dropdown-item a:contains('Zofia Tourowa (0/15)')",
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
