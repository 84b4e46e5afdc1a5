from . import res_company
from . import res_config_settings
from . import res_users
from . import assist_family
from . import assist_family_member
from . import assist_assignment
