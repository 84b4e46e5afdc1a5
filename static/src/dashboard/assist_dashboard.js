import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";

/**
 * The head's dashboard: caseloads, families per stage, overdue to-dos per person
 * and the deadlines of the week. The figures come from `assist.dashboard`
 * (`get_dashboard_data`); a click asks the server for the action behind a figure
 * (`action_open_figure`), so that what opens follows the same rules as the data.
 */
export class AssistDashboard extends Component {
    static components = { Layout };
    static template = "family_assistant.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null });
        useSetupAction();
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call("assist.dashboard", "get_dashboard_data", []);
    }

    async open(figure, key = false) {
        const action = await this.orm.call("assist.dashboard", "action_open_figure", [figure, key]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("family_assistant.dashboard", AssistDashboard);
