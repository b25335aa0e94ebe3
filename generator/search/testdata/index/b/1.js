cqpSearch.load("b",1,[[["RNCP37890BC01","Préparer l'assemblage"],["RNCP37890BC02","Souder à l'arc électrique"]],[["S1","Souder sur chantier"]],[["RNCP37891BC01","Conduire l'installation"]]]);
