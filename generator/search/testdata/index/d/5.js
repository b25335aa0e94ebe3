cqpSearch.load("d",5,{"id":"soudeuse-laser","t":"Soudeuse laser","s":"Conduire une installation de soudage par faisceau.","n":"RNCP37891"});
