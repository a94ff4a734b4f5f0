-- Mean departure delay by the weather at the origin in the scheduled hour, bucketed by
-- precipitation (inches per hour) and by visibility (miles), over the flights whose hour has
-- a weather observation.
with observed as (
    select * from {{ ref('flights_daily') }} where has_weather
),

buckets as (
    select
        1 as factor_order,
        'precipitation' as factor,
        case when precip <= 0 then 1 when precip <= 0.1 then 2 else 3 end as bucket_order,
        case
            when precip <= 0 then 'none'
            when precip <= 0.1 then 'light (<= 0.1 in/h)'
            else 'heavy (> 0.1 in/h)'
        end as bucket,
        dep_delay
    from observed
    where precip is not null
    union all
    select
        2,
        'visibility',
        case when visib < 1 then 1 when visib < 3 then 2 when visib < 6 then 3
             when visib < 10 then 4 else 5 end,
        case
            when visib < 1 then '< 1 mi'
            when visib < 3 then '1-3 mi'
            when visib < 6 then '3-6 mi'
            when visib < 10 then '6-10 mi'
            else '10 mi (clear)'
        end,
        dep_delay
    from observed
    where visib >= 0
)

select
    factor,
    bucket,
    count(*) as flights,
    avg(dep_delay) as mean_dep_delay,
    {{ share_late('dep_delay') }} as share_dep_delayed_15
from buckets
group by factor_order, factor, bucket_order, bucket
order by factor_order, bucket_order
