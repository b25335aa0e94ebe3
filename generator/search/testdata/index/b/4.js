cqpSearch.load("b",4,[{"c":"S1","t":"Souder sur chantier","a":"bloc-s1"}]);
