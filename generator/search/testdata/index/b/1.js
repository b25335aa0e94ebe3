cqpSearch.load("b",1,[{"c":"RNCP37892BC01","t":"Tracer et découper","a":"bloc-rncp37892bc01"}]);
