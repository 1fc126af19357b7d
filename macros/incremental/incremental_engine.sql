{#- The engine of an incremental state: the newest row of a key wins, and a key whose newest row
    is a tombstone is gone (FINAL hides it, merges drop it). -#}
{% macro incremental_engine() -%}
    ReplacingMergeTree(_computed_at, _is_deleted)
{%- endmacro %}
