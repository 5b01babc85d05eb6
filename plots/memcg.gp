# memcg.gp - the run's memory cgroup (contained runs): usage against its
# limit, anon and page cache inside it, and how often the charge hit the
# limit (right axis). Memcg reclaim does not show in the global counters.
# Variables: see _series.gp.
fig_title = "Memory cgroup"
ylabel = "MiB"
ylabel2 = "limit hits [1/s]"
logy = 0
y2fmt = "%.1s%c"
load plotdir."/_series.gp"
