cqpSearch.load("d",1,[["monteur","Monteur industriel","Monter des ensembles mécaniques.","","","m1"],["soudeur","Soudeur industriel","Assembler des pièces métalliques par fusion.","RNCP37890"]]);
