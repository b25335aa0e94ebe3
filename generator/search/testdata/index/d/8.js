cqpSearch.load("d",8,{"id":"mecanicien","t":"Mécanicien d'entretien","s":"Entretenir les machines de l'usine.","n":"RNCP37893"});
