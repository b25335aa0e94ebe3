cqpSearch.load("b",6,[{"c":"T1","t":"Travaux du soudeur tuyauteur","a":"bloc-t1"}]);
