cqpSearch.load("b",9,[{"c":"RNCP37894BC01","t":"Diagnostiquer une panne","a":"bloc-rncp37894bc01"}]);
