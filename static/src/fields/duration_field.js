import { registry } from "@web/core/registry";
import { FloatTimeField, floatTimeField } from "@web/views/fields/float_time/float_time_field";

/**
 * A duration in hours, shown as people say it: "1 h 15 min", "45 min", "2 h".
 * Typed as a time ("1:15") or hours ("1.25"), like Odoo's float_time. The same
 * words as the documents (`assist.visit._format_duration`).
 */
export function formatDuration(value) {
    if (value === false || value === undefined || value === null) {
        return "";
    }
    const minutes = Math.round(value * 60);
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (!hours) {
        return `${rest} min`;
    }
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export class DurationField extends FloatTimeField {
    get formattedValue() {
        if (this.props.readonly) {
            return formatDuration(this.props.record.data[this.props.name]);
        }
        return super.formattedValue;
    }
}

registry.category("fields").add("fa_duration", { ...floatTimeField, component: DurationField });
// totals of a list column and of its groups
registry.category("formatters").add("fa_duration", formatDuration);
