-- Departure and arrival delays per carrier and month. Partitioned by month: a run replaces
-- the rows of its months, computed from their days of flights_daily.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['year', 'month'],
) }}

select
    carrier,
    carrier_name,
    year,
    month,
    count(*) as flights,
    avg(dep_delay) as mean_dep_delay,
    median(dep_delay) as median_dep_delay,
    avg(arr_delay) as mean_arr_delay,
    median(arr_delay) as median_arr_delay,
    {{ share_late('arr_delay') }} as share_delayed_15
from {{ ref('flights_daily') }}
where {{ in_partition_window('make_date(year, month, 1)') }}
group by all
order by carrier, year, month
