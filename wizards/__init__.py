from . import assist_assignment_approve
from . import assist_assignment_reject
from . import assist_assignment_extend
from . import assist_head_request_decide
from . import assist_family_anonymise
from . import assist_document_issue
from . import assist_case_import
