from . import assist_assignment_approve
from . import assist_assignment_reject
