cqpSearch.load("b",2,[[["T1","Travaux du soudeur tuyauteur"]],[["A1","Ajuster"]],[["RNCP37893BC01","Entretenir"]]]);
