cqpSearch.load("b",0,[{"c":"L1","t":"Réceptionner les marchandises","a":"bloc-l1"}]);
