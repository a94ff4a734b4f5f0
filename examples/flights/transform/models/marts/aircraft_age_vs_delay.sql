-- Delays by aircraft age (2013 minus the year built) in 5-year buckets, over the flights whose
-- tail number is in raw_planes with a known year.
with aged as (
    select f.tailnum, f.dep_delay, f.arr_delay, 2013 - p.year as age
    from {{ ref('flights_daily') }} as f
    join {{ source('nycflights13', 'raw_planes') }} as p on p.tailnum = f.tailnum
    where p.year is not null
),

bucketed as (
    select
        *,
        case
            when age < 0 then null
            when age < 5 then '0-4'
            when age < 10 then '5-9'
            when age < 15 then '10-14'
            when age < 20 then '15-19'
            when age < 25 then '20-24'
            when age < 100 then '25+'
        end as age_bucket
    from aged
)

select
    age_bucket,
    count(distinct tailnum) as planes,
    count(*) as flights,
    avg(dep_delay) as mean_dep_delay,
    avg(arr_delay) as mean_arr_delay,
    {{ share_late('arr_delay') }} as share_delayed_15
from bucketed
where age_bucket is not null
group by age_bucket
order by min(age)
