cqpSearch.load("d",3,[["tuyauteur","Tuyauteur","Monter des réseaux de tuyauterie.","RS5001","CQPM 0268","t1"],["ajusteur","Ajusteur","Ajuster des pièces préparées par le soudeur.","","","a1"]]);
