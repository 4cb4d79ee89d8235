"""Small fixes to Ibis' SQL for engines cjm runs on, so analyses stay written once.

PostgreSQL cannot cast a boolean straight to bigint (Ibis writes CAST(x AS BIGINT) for
`(condition).cast("int64")`, which every analysis uses to count); it can cast boolean to integer,
so the fix goes through int4 first.
"""

from __future__ import annotations

import ibis.expr.datatypes as dt
from ibis.backends.sql.compilers.postgres import PostgresCompiler


class CJMPostgresCompiler(PostgresCompiler):
    def visit_Cast(self, op, *, arg, to):
        if op.arg.dtype.is_boolean() and to.is_integer() and not to.is_int32():
            return self.cast(self.cast(arg, dt.int32), to)
        return super().visit_Cast(op, arg=arg, to=to)

    visit_TryCast = visit_Cast
