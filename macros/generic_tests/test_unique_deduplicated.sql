{#- Grain test for ReplacingMergeTree targets: the key is unique once duplicates collapse.
    Reads with FINAL, because re-delivered rows stay in the table until background merges run. -#}
{% test unique_deduplicated(model, columns) %}
select
    {{ columns | join(',\n    ') }},
    count() as row_count
from {{ model }} final
group by {{ columns | join(', ') }}
having count() > 1
{% endtest %}
