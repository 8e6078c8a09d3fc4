using System.Collections.Frozen;

namespace ChatBot.Core.Search;

/// <summary>
/// Traditional → Simplified mapping for the characters members are likely to type in policy questions
/// (個體戶, 商標註冊, 營業執照, 稅費, 貸款, 食品經營許可證…). Deliberately compact: one-to-one characters only;
/// ambiguous ones (著, 乾, 藉) are left out because mapping them would corrupt words that are already simplified.
/// </summary>
internal static class TraditionalChineseMap
{
    /// <summary>Concatenated pairs: each traditional character is followed by its simplified form.</summary>
    private const string Pairs =
        "個个體体戶户標标註注冊册補补貼贴貸贷營营業业執执稅税費费經经許许證证証证飯饭館馆點点開开網网們们這这麼么樣样嗎吗辦办處处單单賣卖買买價价錢钱銀银質质擔担動动產产" +
        "記记報报務务場场資资權权歸归會会議议黨党員员組组織织關关係系轉转聯联絡络屬属縣县區区鎮镇鄉乡時时間间問问題题說说話话請请讓让給给對对錯错還还沒没來来過过後后發发" +
        "現现實实際际應应該该將将與与為为爲为從从眾众衆众當当歲岁辭辞職职責责義义門门創创貨货帳账賬账據据購购銷销額额優优減减徵征繳缴納纳獎奖勵励圖图書书專专認认計计檢检" +
        "驗验電电線线綫线氣气燈灯車车輛辆機机設设備备庫库導导師师學学習习課课規规紀纪頁页條条繫系變变異异狀状態态復复複复歷历曆历誠诚談谈調调訴诉訟讼賠赔償偿換换顧顾寶宝" +
        "團团軟软裝装衛卫傷伤藥药醫医療疗險险養养勞劳難难畢毕參参號号碼码寫写筆笔錄录屆届選选舉举頭头腦脑愛爱國国華华東东廣广傳传統统壓压廠厂縮缩農农貿贸雞鸡魚鱼鮮鲜飲饮" +
        "麵面餅饼湯汤燒烧雜杂糧粮豐丰歡欢樂乐讀读聽听見见覺觉親亲懷怀總总結结約约級级紅红綠绿藍蓝黃黄準准確确靈灵濟济幫帮亂乱戰战隊队陽阳陰阴陸陆隨随雖虽雙双離离雲云響响" +
        "頂顶順顺須须領领頻频風风飛飞馬马髮发鬥斗齊齐龍龙龜龟糾纠紛纷紙纸細细終终綜综維维緊紧編编練练續续績绩繼继罰罚羅罗聲声肅肃脫脱腳脚興兴舊旧萬万葉叶蓋盖蘇苏虛虚蟲虫" +
        "術术衝冲製制視视覽览觀观訂订討讨訓训訪访診诊評评詢询試试詳详誤误誰谁論论講讲謝谢識识護护貝贝負负財财貧贫販贩貫贯貴贵賓宾賞赏賴赖贈赠贊赞趕赶跡迹踐践躍跃軍军輕轻" +
        "載载輔辅輸输轄辖連连進进遊游運运達达違违遠远適适遲迟遷迁遺遗邊边郵邮鄰邻釋释針针鈔钞鉅巨鋪铺鍋锅鍵键鎖锁鏈链鐘钟鐵铁長长閉闭閒闲閱阅闆板闊阔階阶隱隐靜静韓韩項项" +
        "預预頒颁顏颜願愿類类顯显飾饰駕驾騙骗驚惊鬧闹麥麦齡龄協协廳厅幹干廢废彈弹徑径憑凭戲戏擁拥擇择擴扩擺摆攝摄敵敌數数斷断於于晉晋暫暂極极構构槍枪樓楼樹树橋桥檔档歐欧" +
        "殺杀漢汉湧涌溝沟滅灭滿满漲涨潔洁澤泽災灾烏乌無无熱热爭争牆墙獨独獲获環环畫画盡尽監监盤盘矯矫礎础禮礼禍祸禦御稱称種种穩稳窮穷競竞節节範范簡简簽签籤签純纯絕绝絲丝" +
        "綱纲緒绪臨临艦舰藝艺蘭兰褲裤觸触訊讯託托詞词語语諸诸謀谋謹谨豬猪貓猫贏赢趨趋軌轨較较輪轮邏逻醜丑釣钓鈴铃鋼钢鍛锻鏡镜閃闪陳陈陣阵隻只頓顿飄飘飽饱餓饿駐驻騎骑髒脏" +
        "鬆松魯鲁鳥鸟鹽盐麗丽齒齿積积綁绑兩两紡纺餘余裡里裏里啟启啓启週周臺台檯台颱台劃划彙汇匯汇儲储億亿儀仪傢家僅仅債债傾倾兒儿內内劑剂勝胜勢势卻却厲厉喪丧嚴严園园圍围" +
        "堅坚塊块墊垫壞坏壯壮壽寿夠够夢梦奪夺奮奋婦妇媽妈孫孙寧宁審审寬宽尋寻層层島岛嶺岭幣币帶带幾几張张強强徹彻憲宪懇恳擬拟拋抛掛挂採采揚扬損损搖摇搶抢擊击撥拨攤摊敗败" +
        "敘叙棄弃榮荣殘残毀毁決决況况測测溫温滯滞漁渔濕湿瀏浏灣湾爐炉牽牵猶犹盜盗築筑籌筹紹绍緣缘緩缓聖圣聞闻聰聪臉脸臟脏蘋苹虧亏蝦虾詐诈誇夸諮咨貢贡賽赛迴回夥伙嘗尝餵喂" +
        "鄭郑楊杨劉刘趙赵滬沪閩闽粵粤遼辽贛赣陝陕隴陇濱滨殯殡壩坝莊庄樁桩櫃柜欄栏圓圆廟庙廁厕廈厦廚厨燉炖煙烟燭烛湊凑滷卤醬酱釀酿麪面餃饺餡馅餚肴鍾钟錶表鑰钥鎊镑鋁铝銅铜" +
        "屜屉闖闯闡阐鬱郁綢绸繩绳縫缝襪袜頸颈顆颗顛颠飼饲驅驱驢驴鴨鸭鵝鹅鶏鸡鷹鹰黴霉鼕冬齣出龐庞";

    public static FrozenDictionary<char, char> Table { get; } = Build();

    public static char ToSimplified(char c) => Table.TryGetValue(c, out var simplified) ? simplified : c;

    private static FrozenDictionary<char, char> Build()
    {
        var map = new Dictionary<char, char>(Pairs.Length / 2);
        for (var i = 0; i + 1 < Pairs.Length; i += 2)
        {
            map[Pairs[i]] = Pairs[i + 1];
        }

        return map.ToFrozenDictionary();
    }
}
