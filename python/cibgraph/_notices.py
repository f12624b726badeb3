"""Loud empty layers (``pipeline/include/cibgraph/layer_notices.hpp``): a co-action layer that reads no event gives
an empty result that looks like "no coordination found" but means "nothing was compared". The pipeline records each
such layer with what it reads and what the data has; :func:`coordination_network` and :func:`analyze` raise one
:class:`EmptyLayerWarning` per line, with the fix spelled as keywords (``layers='co-url'``,
``targets={'url': 'url_id'}``)."""

import warnings


class EmptyLayerWarning(UserWarning):
    """A co-action layer of the run read no event: its result is empty because nothing was compared. The message
    names the layer, the actions it reads, the data's actions with their events, and the keyword that fixes it."""


def warn_empty_layers(core_network, remap: str = "", stacklevel: int = 3) -> None:
    """One EmptyLayerWarning per notice of the pipeline's network (``_core.CoordinationNetwork.layer_notices``),
    pointing at the caller of the public function (``stacklevel`` counts from here). ``remap`` names the function
    that maps columns when this call did not read the events itself (``"read_events"``: the fix then reads
    ``read_events(..., action_value='share')``)."""
    for line in core_network.layer_notices(remap):
        warnings.warn(line, EmptyLayerWarning, stacklevel=stacklevel)
