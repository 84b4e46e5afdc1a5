from . import test_family
from . import test_assignment_request
from . import test_approval
from . import test_procedure
from . import test_case_records
from . import test_case_roles
from . import test_ui
