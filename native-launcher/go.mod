module relais.local/launcher

go 1.19
