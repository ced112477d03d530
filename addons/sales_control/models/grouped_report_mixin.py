# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Grouping of the big report tables at the speed of their SQL.

Two costs of Odoo 11's ``read_group`` dominate a pivot of a million touches
by manager x day (about 50,000 cells):

* ordering: a many2one is ordered by joining the comodel's order columns
  (for the manager: ``res_users`` and ``res_partner``) to every row *before*
  aggregating. Here SQL orders by the raw ids and the groups are sorted
  afterwards by their labels, which gives the same order;
* formatting: Odoo parses, localises and formats the date of every cell
  with babel and builds its domain, in several method calls per cell,
  although there are only about a thousand distinct days. Here each distinct
  value goes once through Odoo's own ``_read_group_prepare_data`` and
  ``_read_group_format_result``, and the cells reuse the result in one loop.

``_read_group_raw`` below is Odoo 11's up to the fetch of the rows (same
access checks, record rules and SQL); only what follows the fetch differs.
It serves only the calls whose answer it reproduces exactly: the default
order or an order on a grouped field that is not a many2one or on an
aggregate, no limit, no offset (``_read_group_is_fast``). Anything else (an
explicit order on a many2one, which Odoo sorts by the comodel's order,
``orderby='id'``, a limit or an offset) goes to Odoo's own ``read_group``.
Tests compare its result with Odoo's own for the same calls, and pin the
source of the Odoo methods it copies: see docs/porting.md before porting.
"""
from odoo import api, models
from odoo.osv import expression
from odoo.tools import OrderedSet, pycompat

from .common import check_odoo_series

check_odoo_series("sales.grouped.report.mixin (a copy of BaseModel._read_group_raw)")

TEMPORAL = ("date", "datetime")
# Formatted date groups are kept per database (on its registry) and per
# language: a label depends only on the value, the grouping, the time zone
# and the language, and babel costs ~50 us each.
FORMATTED_DATES_MAX = 50000


class GroupedReportMixin(models.AbstractModel):
    _name = "sales.grouped.report.mixin"
    _inherit = "sales.report.labels.mixin"
    _description = "Fast Grouping of Large Reports"

    @api.model
    def _read_group_prepare_fast(self, orderby, aggregated_fields, annotated_groupbys, query):
        """Odoo's ``_read_group_prepare``, but a many2one is ordered by its
        column (the groups are sorted by their labels afterwards): see
        ``_read_group_raw``. Not an override: Odoo's own read_group, which
        the calls the copy does not reproduce go to, keeps Odoo's."""
        groupby_terms = [gb["qualified_field"] for gb in annotated_groupbys]
        orderby_terms = []
        if not orderby:
            return groupby_terms, orderby_terms
        self._check_qorder(orderby)
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

    @api.model
    def _read_group_is_fast(self, fields, groupby, offset, limit, orderby, lazy):
        """Whether the copy below answers this call exactly as Odoo would:
        no limit or offset, and an order (if any) only on grouped fields
        other than many2ones (ordered by their column, as Odoo does) or on
        aggregated fields."""
        if limit or offset:
            return False
        if not orderby:
            return True
        groupby = [groupby] if isinstance(groupby, pycompat.string_types) else list(OrderedSet(groupby))
        grouped = groupby[:1] if lazy else groupby
        grouped_fields = {name.split(":")[0] for name in grouped}
        fields = fields or [name for name, field in self._fields.items() if field.store]
        for part in orderby.split(","):
            words = part.split()
            if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                return False
            name = words[0]
            field = self._fields.get(name.split(":")[0])
            if not field or name == "id":
                return False
            if name in grouped:
                if field.type == "many2one":
                    return False
            elif not (name in fields and name not in grouped_fields and name != "sequence" and field.group_operator
                      and field.base_field.store and field.base_field.column_type):
                return False
        return True

    @api.model
    def _read_group_raw(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        if not self._read_group_is_fast(fields, groupby, offset, limit, orderby, lazy):
            return super(GroupedReportMixin, self)._read_group_raw(
                domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        # Odoo 11's _read_group_raw, up to the fetch
        self.check_access_rights("read")
        query = self._where_calc(domain)
        fields = fields or [f.name for f in self._fields.values() if f.store]

        groupby = [groupby] if isinstance(groupby, pycompat.string_types) else list(OrderedSet(groupby))
        groupby_list = groupby[:1] if lazy else groupby
        annotated_groupbys = [self._read_group_process_groupby(gb, query) for gb in groupby_list]
        groupby_fields = [g["field"] for g in annotated_groupbys]
        order = orderby or ",".join([g for g in groupby_list])
        groupby_dict = {gb["groupby"]: gb for gb in annotated_groupbys}

        self._apply_ir_rules(query, "read")
        for gb in groupby_fields:
            assert gb in fields, "Fields in 'groupby' must appear in the list of fields to read"
            assert gb in self._fields, "Unknown field %r in 'groupby'" % gb
            gb_field = self._fields[gb].base_field
            assert gb_field.store and gb_field.column_type, \
                "Fields in 'groupby' must be regular database-persisted fields"

        aggregated_fields = [
            f for f in fields
            if f != "sequence"
            if f not in groupby_fields
            for field in [self._fields.get(f)]
            if field
            if field.group_operator
            if field.base_field.store and field.base_field.column_type
        ]
        select_terms = [
            '%s(%s) AS "%s" ' % (self._fields[f].group_operator, self._inherits_join_calc(self._table, f, query), f)
            for f in aggregated_fields
        ]
        for gb in annotated_groupbys:
            select_terms.append('%s as "%s" ' % (gb["qualified_field"], gb["groupby"]))

        groupby_terms, orderby_terms = self._read_group_prepare_fast(
            order, aggregated_fields, annotated_groupbys, query)
        from_clause, where_clause, where_clause_params = query.get_sql()
        if lazy and (len(groupby_fields) >= 2 or not self._context.get("group_by_no_leaf")):
            count_field = groupby_fields[0] if len(groupby_fields) >= 1 else "_"
        else:
            count_field = "_"
        count_field += "_count"

        query = """
            SELECT min("%(table)s".id) AS id, count("%(table)s".id) AS "%(count_field)s" %(extra_fields)s
            FROM %(from)s
            %(where)s
            %(groupby)s
            %(orderby)s
            %(limit)s
            %(offset)s
        """ % {
            "table": self._table,
            "count_field": count_field,
            "extra_fields": ("," + ",".join(select_terms)) if select_terms else "",
            "from": from_clause,
            "where": ("WHERE %s" % where_clause) if where_clause else "",
            "groupby": ("GROUP BY " + ",".join(groupby_terms)) if groupby_terms else "",
            "orderby": ("ORDER BY " + ",".join(orderby_terms)) if orderby_terms else "",
            "limit": ("LIMIT %d" % int(limit)) if limit else "",
            "offset": ("OFFSET %d" % int(offset)) if limit else "",
        }
        self._cr.execute(query, where_clause_params)
        fetched_data = self._cr.dictfetchall()

        if not groupby_fields:
            return fetched_data

        self._read_group_resolve_many2one_fields(fetched_data, annotated_groupbys)
        result = self._read_group_format_rows(fetched_data, annotated_groupbys, groupby, domain, groupby_dict)
        if lazy:
            result = self._read_group_fill_results(
                domain, groupby_fields[0], groupby[len(annotated_groupbys):],
                aggregated_fields, count_field, result, read_group_order=order,
            )
        if not orderby and not limit:
            self._read_group_sort(result, groupby_list)
        return result

    @api.model
    def _read_group_format_rows(self, rows, annotated_groupbys, groupby, domain, groupby_dict):
        """What Odoo's per-cell ``_read_group_prepare_data`` and
        ``_read_group_format_result`` make of the rows, computed once per
        distinct value of each groupby."""
        names = [gb["groupby"] for gb in annotated_groupbys]
        formatted = {name: {} for name in names}
        base_domain = self._read_group_normalized(domain)
        if base_domain is None:
            prefix, base_domain = None, []
        else:
            prefix = ["&"] * (len(names) - (0 if base_domain else 1))
        context = {"group_by": groupby[len(names):]} if len(groupby) > len(names) else None
        other_keys = None
        for row in rows:
            del row["id"]
            if other_keys is None:
                other_keys = [key for key in row if key not in formatted]
            for key in other_keys:
                if row[key] is None:
                    row[key] = False
            group_domain = list(prefix) if prefix is not None else None
            for name in names:
                raw = row[name]
                memo = formatted[name]
                if raw not in memo:
                    memo[raw] = self._read_group_format_value(name, raw, groupby_dict)
                row[name], section = memo[raw]
                if group_domain is not None:
                    group_domain += section
            if group_domain is None:
                row["__domain"] = list(expression.FALSE_DOMAIN)
            else:
                group_domain += base_domain
                row["__domain"] = group_domain
            if context:
                row["__context"] = dict(context)
        return rows

    @api.model
    def _read_group_format_value(self, name, raw, groupby_dict):
        """Odoo's formatted value of one group and its domain section."""
        gb = groupby_dict[name]
        key = labels = None
        if gb["type"] in TEMPORAL and raw is not None:
            labels = self._read_group_label_cache()
            key = (self._name, name, raw, self._context.get("tz"))
            if key in labels:
                return labels[key]
        value = self._read_group_prepare_data(name, raw, groupby_dict)
        single = self._read_group_format_result({name: value, "id": None}, [gb], [name], [])
        formatted = single[name], tuple(single["__domain"])
        if key is not None:
            if len(labels) >= FORMATTED_DATES_MAX:
                labels.clear()
            labels[key] = formatted
        return formatted

    @api.model
    def _read_group_label_cache(self):
        """The formatted date groups of this database in the language of
        the call. Kept on the registry, which is the database's own and is
        made anew when its modules change."""
        caches = getattr(self.pool, "_sales_grouped_labels", None)
        if caches is None:
            caches = self.pool._sales_grouped_labels = {}
        return caches.setdefault(self._context.get("lang") or "en_US", {})

    @api.model
    def _read_group_normalized(self, domain):
        """The call's domain as Odoo's ``expression.AND`` adds it to each
        group's: [] when it adds nothing, None when it makes it false."""
        if domain == expression.FALSE_DOMAIN:
            return None
        if not domain or domain == expression.TRUE_DOMAIN:
            return []
        return list(domain)

    @api.model
    def _read_group_sort(self, groups, names):
        """Sort the groups as Odoo's default order would: a many2one by its
        label, a date by its start, anything else by its value, empty last.
        SQL already did it when no many2one is grouped."""
        if len(groups) < 2 or not any(self._fields[name.split(":")[0]].type == "many2one" for name in names):
            return
        ranks = [(name, self._read_group_ranks(groups, name)) for name in names]

        def position(group):
            key = 0
            for name, (rank, size) in ranks:
                key = key * size + rank[group[name]]
            return key
        groups.sort(key=position)

    @api.model
    def _read_group_ranks(self, groups, name):
        """The position of each distinct value of ``name`` in the groups."""
        ftype = self._fields[name.split(":")[0]].type

        def sort_key(value):
            if value is False or value is None:
                return (1, "")
            if ftype == "many2one":
                return (0, (value[1] or "").lower())
            if ftype in TEMPORAL:
                return (0, value[0])
            return (0, value)
        values = sorted({group[name] for group in groups}, key=sort_key)
        return {value: index for index, value in enumerate(values)}, len(values)
