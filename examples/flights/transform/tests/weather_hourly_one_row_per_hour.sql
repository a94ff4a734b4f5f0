select origin, time_hour, count(*) as observations
from {{ ref('weather_hourly') }}
group by origin, time_hour
having count(*) > 1
