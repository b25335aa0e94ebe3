cqpSearch.load("d",3,{"id":"soudeur","t":"Soudeur industriel","s":"Assembler des pièces métalliques par fusion.","n":"RNCP37890"});
