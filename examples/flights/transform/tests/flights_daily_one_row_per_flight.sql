select year, month, day, carrier, flight, origin, dest, count(*) as rows
from {{ ref('flights_daily') }}
group by all
having count(*) > 1
