"""Small fixes to Ibis' SQL for engines cjm runs on, so analyses stay written once.

PostgreSQL cannot cast a boolean straight to bigint (Ibis writes CAST(x AS BIGINT) for
`(condition).cast("int64")`, which every analysis uses to count); it can cast boolean to integer,
so the fix goes through int4 first.

Spark reads the whitespace Ibis trims with (`TRIM(' \\t\\n\\r\\v\\f' FROM x)`, as sqlglot writes Python's
string.whitespace) as ' ', tab, newline, carriage return and the letters 'v' and 'f': its SQL knows no escape \\v or
\\f and keeps the letter. Every strip() then cut a 'v' or 'f' off both ends of the text (an event 'v' of view / cart
/ purchase became '', a missing event; 'fav' became 'a'). The fix names the two characters by their codes.
"""

from __future__ import annotations

import ibis.expr.datatypes as dt
import sqlglot.expressions as sge
from ibis.backends.sql.compilers.postgres import PostgresCompiler
from ibis.backends.sql.compilers.pyspark import PySparkCompiler


class CJMPostgresCompiler(PostgresCompiler):
    def visit_Cast(self, op, *, arg, to):
        if op.arg.dtype.is_boolean() and to.is_integer() and not to.is_int32():
            return self.cast(self.cast(arg, dt.int32), to)
        return super().visit_Cast(op, arg=arg, to=to)

    visit_TryCast = visit_Cast


class CJMPySparkCompiler(PySparkCompiler):
    def visit_Strip(self, op, *, arg):
        # Python's whitespace (what an upload strips): ' \t\n\r' as Spark reads those escapes, then \v and \f
        whitespace = self.f.concat(sge.convert(" \t\n\r"), self.f.chr(11), self.f.chr(12))
        return sge.Trim(this=arg, expression=whitespace)
