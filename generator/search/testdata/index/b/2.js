cqpSearch.load("b",2,[{"c":"M1","t":"Monter les sous-ensembles","a":"bloc-m1"}]);
