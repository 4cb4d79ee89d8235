"""Journey maps (DESIGN.md section 5): the model, the builders (current, future, day in the life) and
the exports. The builders take the Dataset (or a view of it) first; the current map's calls into the
analyses all live in cjm.maps.current.

May import: cjm.engine, cjm.data, cjm.journey, cjm.voice, cjm.present, cjm.errors, cjm.jsonable.
Never cjm.report, cjm.spec or cjm.ui.
"""

from cjm.maps.current import build_current_map, compare_maps, refresh
from cjm.maps.day import add_activity, build_day_map
from cjm.maps.future import (build_future_map, compute_projection, compute_target_status, reset_baselines,
                             set_target)
from cjm.maps.model import MAP_VERSION, Activity, Cell, Evidence, JourneyMap, Persona, Target

__all__ = ["MAP_VERSION", "Activity", "Cell", "Evidence", "JourneyMap", "Persona", "Target", "add_activity",
           "build_current_map", "build_day_map", "build_future_map", "compare_maps", "compute_projection",
           "compute_target_status", "refresh", "reset_baselines", "set_target"]
