-- Flights, arrival delay and on-time share per route (origin -> destination), busiest first.
select
    row_number() over (order by count(*) desc, f.origin, f.dest) as rank,
    f.origin,
    f.dest,
    a.name as dest_name,
    count(*) as flights,
    avg(f.arr_delay) as mean_arr_delay,
    cast(round(avg(f.distance)) as bigint) as distance,
    1 - {{ share_late('f.arr_delay') }} as on_time_share
from {{ ref('flights_daily') }} as f
left join {{ source('nycflights13', 'raw_airports') }} as a on a.faa = f.dest
group by f.origin, f.dest, a.name
order by rank
