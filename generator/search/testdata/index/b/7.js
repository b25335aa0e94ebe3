cqpSearch.load("b",7,[{"c":"A1","t":"Ajuster","a":"bloc-a1"}]);
