cqpSearch.load("b",3,[{"c":"RNCP37890BC01","t":"Préparer l'assemblage","a":"bloc-rncp37890bc01"},{"c":"RNCP37890BC02","t":"Souder à l'arc électrique","a":"bloc-rncp37890bc02"}]);
