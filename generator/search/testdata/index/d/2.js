cqpSearch.load("d",2,[["ancien","Soudeur sur chantier","Un ancien certificat.","","","s1"],["soudeuse-laser","Soudeuse laser","Conduire une installation de soudage par faisceau.","RNCP37891"]]);
