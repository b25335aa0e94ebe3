cqpSearch.load("d",9,{"id":"technicien","t":"Technicien de maintenance","s":"Maintenir les équipements de production.","n":"RNCP37894"});
