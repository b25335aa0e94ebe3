cqpSearch.load("d",2,{"id":"monteur","t":"Monteur industriel","s":"Monter des ensembles mécaniques."});
