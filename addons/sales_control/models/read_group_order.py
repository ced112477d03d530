# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Grouping of the big report tables without the join Odoo 11 adds for order.

Odoo 11's ``read_group`` orders groups by every grouped field; for a
many2one that means joining the comodel's order columns (for the manager:
``res_users`` and ``res_partner``) to every row *before* aggregating, and
adding those columns to the GROUP BY. On a million touches this triples the
cost of the pivot. Here the SQL orders by the raw ids and the few groups are
sorted by their labels in Python afterwards, which gives the same order.
"""


def prepare_without_joins(model, orderby, aggregated_fields, annotated_groupbys):
    """``_read_group_prepare`` that orders a many2one by its column."""
    groupby_terms = [gb["qualified_field"] for gb in annotated_groupbys]
    orderby_terms = []
    if not orderby:
        return groupby_terms, orderby_terms
    model._check_qorder(orderby)
    by_name = {}
    for gb in annotated_groupbys:
        by_name[gb["field"]] = gb
        by_name[gb["groupby"]] = gb
    for part in orderby.split(","):
        words = part.split()
        name, direction = words[0], " ".join(words[1:])
        gb = by_name.get(name)
        if gb:
            column = gb["qualified_field"] if gb["type"] == "many2one" else '"%s"' % gb["groupby"]
        elif name in aggregated_fields:
            column = '"%s"' % name
        else:
            continue
        orderby_terms.append(("%s %s" % (column, direction)).strip())
    return groupby_terms, orderby_terms


def sort_groups(groups, groupby):
    """Sort read_group's result as Odoo's default order would (by label)."""
    names = [groupby] if isinstance(groupby, str) else list(groupby or [])

    def key(group):
        parts = []
        for name in names:
            value = group.get(name)
            if isinstance(value, (list, tuple)) and len(value) == 2:
                # many2one (id, name) or date ('start/end', label): sort on the first for dates
                value = value[0] if isinstance(value[0], str) else (value[1] or "").lower()
            parts.append((value is False or value is None, value if value not in (False, None) else ""))
        return parts
    return sorted(groups, key=key)
