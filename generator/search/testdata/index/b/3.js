cqpSearch.load("b",3,[[["RNCP37894BC01","Diagnostiquer une panne"]]]);
