cqpSearch.load("d",4,{"id":"ancien","t":"Soudeur sur chantier","s":"Un ancien certificat."});
