{#- Everything a backfill needs to know about a deployed materialized-view model, read from the
    database itself (system tables), so the backfill recomputes exactly what the live views run:
    - the target table, its engine, partition key, sorting key, columns (and their quoted list);
    - the SELECT of every materialized view writing into it (one per raw database), whose
      UNION ALL is the model's SELECT;
    - the tables those views read, and their load-time column for the cutoff
      (`_airbyte_extracted_at` on raw tables, `_loaded_at` on curated ones);
    - the strategy: `attach` for ReplacingMergeTree targets (rows are added; re-added rows
      collapse), `replace` for every other engine (whole partitions are swapped);
    - the time column mapping rows to chunks: the model config `backfill_time_column`; by
      default the one column the partition key is computed from (`created_at` for
      `toYYYYMM(coalesce(created_at, ...))`), else the ReplacingMergeTree version column
      (`updated_at`: a chunk is the versions of that day; re-deliveries of one version share
      it, so which of them the target keeps never moves a row in or out of a range), else
      `_loaded_at` (every curated row carries its load time). -#}
{% macro backfill_target(node) -%}
    {%- set identifier = '[A-Za-z_][A-Za-z0-9_]*' -%}
    {%- set database = node.schema -%}
    {%- set table = node.alias -%}
    {%- if not (modules.re.fullmatch(identifier, database) and modules.re.fullmatch(identifier, table)) -%}
        {{ exceptions.raise_compiler_error("backfill: unsupported target name " ~ database ~ "." ~ table) }}
    {%- endif -%}
    {%- set qualified = database ~ '.' ~ table -%}
    {%- set found = run_query(
        "select engine_full, partition_key, sorting_key from system.tables"
        ~ " where database = '" ~ database ~ "' and name = '" ~ table ~ "'"
    ) -%}
    {%- if found.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "backfill: target table " ~ qualified ~ " of model '" ~ node.name ~ "' does not exist; run `dbt build` first"
        ) }}
    {%- endif -%}
    {%- set engine_full, partition_key, sorting_key = found.rows[0] -%}
    {%- set columns = run_query(
        "select name, type from system.columns"
        ~ " where database = '" ~ database ~ "' and table = '" ~ table ~ "' order by position"
    ).rows | map('list') | list -%}
    {%- set column_names = columns | map('first') | list -%}
    {%- set column_list = '`' ~ column_names | join('`, `') ~ '`' -%}
    {%- set views = run_query(
        "select name, as_select from system.tables"
        ~ " where database = '" ~ database ~ "' and engine = 'MaterializedView'"
        ~ " and (position(create_table_query, ' TO " ~ qualified ~ " (') > 0"
        ~ " or position(create_table_query, ' TO " ~ qualified ~ " AS ') > 0)"
        ~ " order by name"
    ).rows | map('list') | list -%}
    {%- if views | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "backfill: no materialized view writes into " ~ qualified ~ "; run `dbt build` first"
        ) }}
    {%- endif -%}
    {%- set view_names = [] -%}
    {%- for view in views -%}
        {%- do view_names.append("'" ~ database ~ "." ~ view[0] ~ "'") -%}
    {%- endfor -%}
    {#- source tables: the tables whose dependencies list one of the views -#}
    {%- set sources = run_query(
        "select database, name from system.tables"
        ~ " where hasAny(arrayMap((d, t) -> concat(d, '.', t), dependencies_database, dependencies_table), ["
        ~ view_names | join(', ') ~ "]) order by database, name"
    ).rows | map('list') | list -%}
    {%- set load_times = {} -%}
    {%- for source_database, source_table in sources -%}
        {%- set load_columns = run_query(
            "select name from system.columns where database = '" ~ source_database ~ "' and table = '" ~ source_table
            ~ "' and name in ('_airbyte_extracted_at', '_loaded_at') order by name"
        ).columns[0].values() | list -%}
        {%- if load_columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "backfill: " ~ source_database ~ "." ~ source_table ~ " (read by " ~ qualified
                ~ ") has no _airbyte_extracted_at or _loaded_at column to apply the cutoff to"
            ) }}
        {%- endif -%}
        {%- do load_times.update({source_database ~ '.' ~ source_table: load_columns[0]}) -%}
    {%- endfor -%}
    {%- set engine = engine_full.split(' ')[0] -%}
    {%- set strategy = 'attach' if 'ReplacingMergeTree' in engine else 'replace' -%}
    {#- ReplacingMergeTree(version) / ReplicatedReplacingMergeTree('path', 'replica', version) -#}
    {%- set engine_arguments = modules.re.search('ReplacingMergeTree\\(([^)]*)\\)', engine_full) -%}
    {%- set version_column = none -%}
    {%- if engine_arguments -%}
        {%- set last_argument = engine_arguments.group(1).split(',')[-1].strip() -%}
        {%- if last_argument in column_names -%}
            {%- set version_column = last_argument -%}
        {%- endif -%}
    {%- endif -%}
    {#- default: the one target column the partition key is computed from, else the version
        column, else _loaded_at -#}
    {%- set partition_columns = modules.re.findall('[A-Za-z_][A-Za-z0-9_]*', modules.re.sub("'[^']*'", '', partition_key))
        | select('in', column_names) | unique | list -%}
    {%- set time_column = node.config.get('backfill_time_column')
        or (partition_columns[0] if partition_columns | length == 1 else (version_column or '_loaded_at')) -%}
    {%- if time_column not in column_names -%}
        {{ exceptions.raise_compiler_error(
            "backfill: model '" ~ node.name ~ "' has no column '" ~ time_column ~ "' to map rows to chunks;"
            ~ " set the model config `backfill_time_column` to one of: " ~ column_names | join(', ')
        ) }}
    {%- endif -%}
    {%- if strategy == 'replace' and partition_key == '' -%}
        {{ exceptions.raise_compiler_error(
            "backfill: " ~ qualified ~ " (" ~ engine ~ ") has no partition key: only whole partitions can be"
            ~ " replaced safely on this engine, and its only partition is the one the live view writes into."
            ~ " Add a partition_by to the model (or use a ReplacingMergeTree target)."
        ) }}
    {%- endif -%}
    {{ return({
        'name': node.name,
        'database': database,
        'table': table,
        'relation': qualified,
        'scratch': qualified ~ '__backfill',
        'check': qualified ~ '__backfill_check',
        'engine': engine,
        'strategy': strategy,
        'partition_key': partition_key,
        'sorting_key': sorting_key,
        'version_column': version_column,
        'columns': columns,
        'column_list': column_list,
        'time_column': time_column,
        'views': views,
        'load_times': load_times,
    }) }}
{%- endmacro %}
