"""Review 3: ColumnMapping.from_dict reads keep_identical with bool(...), so a hand-written mapping JSON (the
CLI's --mapping, a saved dashboard edited by hand) saying "keep_identical": "false" or "no" turns the setting
on and silently keeps duplicate rows. It must be read as off, or refused with a MappingError naming the key."""

import pytest

from cjm.data.columns import ColumnMapping
from cjm.errors import MappingError


@pytest.mark.parametrize("written", ["false", "no", "0"])
def test_keep_identical_written_as_a_word_for_off_is_not_read_as_on(written):
    try:
        mapping = ColumnMapping.from_dict({"columns": {"customer_id": "id"}, "keep_identical": written})
    except MappingError as error:
        assert "keep_identical" in str(error)
    else:
        assert mapping.keep_identical is False


def test_keep_identical_round_trips_through_the_saved_mapping():
    mapping = ColumnMapping(columns={"customer_id": "id"}, keep_identical=True)
    assert ColumnMapping.from_dict(mapping.to_dict()) == mapping
    assert ColumnMapping.from_dict({"columns": {"customer_id": "id"}}).keep_identical is False
