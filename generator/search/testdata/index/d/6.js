cqpSearch.load("d",6,{"id":"tuyauteur","t":"Tuyauteur","s":"Monter des réseaux de tuyauterie.","n":"RS5001","c":"CQPM 0268"});
