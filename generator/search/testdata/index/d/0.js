cqpSearch.load("d",0,{"id":"cqpi-logistique","t":"Agent logistique","s":"Recevoir, stocker et expédier des marchandises.","n":"RS5678"});
