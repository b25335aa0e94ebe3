cqpSearch.load("d",7,{"id":"ajusteur","t":"Ajusteur","s":"Ajuster des pièces préparées par le soudeur."});
