cqpSearch.load("b",0,[[["L1","Réceptionner les marchandises"]],[["RNCP37892BC01","Tracer et découper"]],[["M1","Monter les sous-ensembles"]]]);
