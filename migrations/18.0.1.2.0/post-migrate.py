"""18.0.1.2.0: every visit has the identifier the phone app knows it by (the
visits recorded before get one), so that a phone can edit them too."""


def migrate(cr, version):
    cr.execute("UPDATE assist_visit SET uuid = gen_random_uuid()::text WHERE uuid IS NULL")
